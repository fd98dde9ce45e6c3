-- Published table: one row per event stated in one document.
with mentions as (
    select * from {{ ref('stg_mentions') }}
)

select
    mention_id, event_id, document_id, evidence, event_class, measure_type, imposing_jurisdiction,
    imposing_body, imposing_body_kind, target_jurisdictions, target_entities, products, hs_codes,
    announced_on, announced_precision, effective_on, effective_precision, ended_on, status,
    certainty, confidence, rules, extractor_version
from mentions
order by mention_id
