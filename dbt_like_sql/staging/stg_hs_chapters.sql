-- HS chapters (seeds/hs_chapters.csv): the two-digit chapter and a short description of it.
with source as (
    select * from {{ source('seeds', 'hs_chapters') }}
)

select
    lpad(trim(hs_chapter), 2, '0') as hs_chapter,
    trim(description) as chapter_description
from source
