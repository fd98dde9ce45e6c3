-- Published table: every document fetched or tried, without its text.
with documents as (
    select * from {{ ref('stg_documents') }}
)

select
    document_id, url, source_id, publisher, source_kind, title, published_at, fetched_at,
    language, content_sha256, n_chars, status, error
from documents
order by document_id
