-- The measure taxonomy (schemas/taxonomy.yml), loaded as a seed.
with source as (
    select * from {{ source('seeds', 'taxonomy') }}
)

select measure_type, event_class, mast_chapter, gta_intervention_type from source
