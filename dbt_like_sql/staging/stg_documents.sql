-- One row per canonical document. A URL reached through two sources (a feed and a GDELT lead)
-- is kept once: the successful fetch wins, then the source id in name order.
with source as (
    select * from {{ source('staged', 'documents') }}
),

cleaned as (
    select
        document_id,
        url,
        source_id,
        publisher,
        source_kind,
        nullif(trim(title), '') as title,
        published_at,
        fetched_at,
        nullif(language, '') as language,
        content_sha256,
        cast(n_chars as bigint) as n_chars,
        status,
        nullif(error, '') as error,
        cast(published_at as date) as published_on
    from source
),

deduplicated as (
    select *
    from cleaned
    qualify row_number() over (
        partition by document_id order by status = 'ok' desc, source_id, fetched_at
    ) = 1
)

select * from deduplicated
