-- Extracted mentions, one row each, with the facts of their document that merging needs.
with source as (
    select * from {{ source('staged', 'mentions') }}
),

documents as (
    select document_id, url, publisher, published_on from {{ ref('stg_documents') }}
),

joined as (
    select
        source.*,
        documents.url,
        documents.publisher,
        documents.published_on,
        case source.announced_precision when 'day' then 0 when 'month' then 1 when 'year' then 2 end
            as announced_rank,
        case source.effective_precision when 'day' then 0 when 'month' then 1 when 'year' then 2 end
            as effective_rank
    from source
    inner join documents using (document_id)
    qualify row_number() over (partition by mention_id order by source.document_id) = 1
)

select * from joined
