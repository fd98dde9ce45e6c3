-- Published table: one row per real-world event, merged over its mentions. Each field comes from
-- the most authoritative mention that gives it: an official notice first, then the most precise
-- date, then the earliest report. Lists are unions over all mentions. The announcement date is
-- taken only from mentions that do not put it after the chosen effective date, so that two reports
-- that disagree can never give an event announced after it took effect. An event is official only
-- when one of its mentions is the imposer's own notice or quotes it (stg_mentions.is_official).
-- Targets are the union of its mentions' targets (merging joins a report naming fewer targets).
with ranked as (
    select * from {{ ref('stg_mentions') }}
),

chosen_effective as (
    select
        event_id,
        first(effective_on order by effective_on is null, is_official desc, effective_rank, published_on, url, effective_on, mention_id)
            as event_effective_on
    from ranked
    group by event_id
),

mentions as (
    select
        ranked.*,
        ranked.announced_on is not null
            and (event_effective_on is null or ranked.announced_on <= event_effective_on) as announced_fits
    from ranked
    inner join chosen_effective using (event_id)
),

taxonomy as (
    select * from {{ ref('stg_taxonomy') }}
),

merged as (
    select
        event_id,
        first(measure_type) as measure_type,
        first(imposing_jurisdiction) as imposing_jurisdiction,
        first(imposing_body order by imposing_body is null, is_official desc, published_on, url, mention_id)
            as imposing_body,
        first(imposing_body_kind order by imposing_body is null, is_official desc, published_on, url, mention_id)
            as imposing_body_kind,
        list_sort(list_distinct(flatten(list(target_jurisdictions)))) as target_jurisdictions,
        list_sort(list_distinct(flatten(list(target_entities)))) as target_entities,
        list_sort(list_distinct(flatten(list(products)))) as products,
        list_sort(list_distinct(flatten(list(hs_codes)))) as hs_codes,
        first(announced_on order by not announced_fits, is_official desc, announced_rank, published_on, url, announced_on, mention_id)
            filter (where announced_fits) as announced_on,
        first(announced_precision order by not announced_fits, is_official desc, announced_rank, published_on, url, announced_on, mention_id)
            filter (where announced_fits) as announced_precision,
        first(effective_on order by effective_on is null, is_official desc, effective_rank, published_on, url, effective_on, mention_id)
            as effective_on,
        first(effective_precision order by effective_on is null, is_official desc, effective_rank, published_on, url, effective_on, mention_id)
            as effective_precision,
        max(ended_on) as ended_on,
        min(published_on) as first_reported_on,
        first(status order by is_official desc, published_on desc, url, mention_id) as status,
        case when bool_or(is_official) then 'official' else 'reported' end as certainty,
        max(confidence) as best_confidence,
        count(*) as n_mentions,
        count(distinct document_id) as n_documents,
        count(distinct publisher) as n_publishers,
        first(url order by is_official desc, published_on, url, mention_id) as first_source_url
    from mentions
    group by event_id
),

described as (
    select
        merged.*,
        taxonomy.event_class,
        taxonomy.mast_chapter,
        taxonomy.gta_intervention_type,
        least(0.99, best_confidence + 0.05 * (n_publishers - 1)) as confidence,
        case announced_precision
            when 'day' then strftime(announced_on, '%Y-%m-%d')
            when 'month' then strftime(announced_on, '%Y-%m')
            when 'year' then strftime(announced_on, '%Y')
        end as announced_text,
        case effective_precision
            when 'day' then strftime(effective_on, '%Y-%m-%d')
            when 'month' then strftime(effective_on, '%Y-%m')
            when 'year' then strftime(effective_on, '%Y')
        end as effective_text
    from merged
    inner join taxonomy using (measure_type)
),

final as (
    select
        event_id, event_class, measure_type, mast_chapter, gta_intervention_type,
        imposing_jurisdiction, imposing_body, imposing_body_kind, target_jurisdictions,
        target_entities, products, hs_codes, announced_on, announced_precision, effective_on,
        effective_precision, ended_on, first_reported_on, status, certainty, confidence,
        n_mentions, n_documents, n_publishers, first_source_url,
        imposing_jurisdiction
            || coalesce(' (' || imposing_body || ')', '')
            || ': ' || replace(measure_type, '_', ' ')
            || case when len(products) > 0 then ' on ' || array_to_string(products, ', ') else '' end
            || case when len(target_jurisdictions) > 0
                then ' against ' || array_to_string(target_jurisdictions, ', ') else '' end
            || coalesce('; announced ' || announced_text, '')
            || coalesce('; effective ' || effective_text, '')
            as summary
    from described
)

-- Rows by imposer, then date: a published file's row groups then each hold few imposers and a
-- span of dates, so DuckDB skips the others by their min/max statistics (a query on one imposer
-- reads a fraction of the file) and groups by imposer and month over rows that arrive together.
select * from final
order by imposing_jurisdiction, coalesce(announced_on, effective_on, first_reported_on) nulls last, event_id
