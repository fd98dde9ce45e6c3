-- A measure listed as in force came into force on or before as_of (from its effective date when it has
-- one), had not ended by then, and is not an easing.
select event_id, as_of, event_class, in_force_from, in_force_basis, effective_on, ended_on
from {{ ref('measures_in_force') }}
where in_force_from > as_of
    or ended_on <= as_of
    or event_class = 'easing'
    or (effective_on is not null and (in_force_from <> effective_on or in_force_basis <> 'effective'))
