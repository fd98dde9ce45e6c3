-- Extracted mentions, one row each, with the facts of their document that merging needs.
-- is_official: the mention comes from the imposer's own notice (an official document whose publisher
-- publishes that jurisdiction's notices, seeds/official_publishers.csv), or it quotes the notice
-- directly (its evidence holds a quotation of some length and the extractor attributes it to an
-- official statement). Everything else is a report.
with source as (
    select * from {{ source('staged', 'mentions') }}
),

documents as (
    select document_id, url, publisher, source_kind, published_on from {{ ref('stg_documents') }}
),

own_publishers as (
    select * from {{ ref('stg_official_publishers') }}
),

joined as (
    select
        source.*,
        documents.url,
        documents.publisher,
        documents.published_on,
        documents.source_kind,
        documents.source_kind = 'official' and exists (
            select 1 from own_publishers
            where own_publishers.publisher = documents.publisher
                and own_publishers.jurisdiction = source.imposing_jurisdiction
        ) as is_own_notice,
        source.certainty = 'official'
            and regexp_matches(source.evidence, '["“«「][^"”»」]{20,}["”»」]') as quotes_notice,
        case source.announced_precision when 'day' then 0 when 'month' then 1 when 'year' then 2 end
            as announced_rank,
        case source.effective_precision when 'day' then 0 when 'month' then 1 when 'year' then 2 end
            as effective_rank
    from source
    inner join documents using (document_id)
    qualify row_number() over (partition by mention_id order by source.document_id) = 1
)

select *, is_own_notice or quotes_notice as is_official from joined
