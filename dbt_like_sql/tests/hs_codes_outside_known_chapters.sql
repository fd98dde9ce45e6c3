-- Every HS code of an event falls in a chapter of the hs_chapters seed.
with codes as (
    select event_id, unnest(hs_codes) as hs_code
    from {{ ref('events') }}
)

select codes.event_id, codes.hs_code
from codes
where not exists (
    select 1 from {{ ref('stg_hs_chapters') }} as chapters where chapters.hs_chapter = left(codes.hs_code, 2)
)
