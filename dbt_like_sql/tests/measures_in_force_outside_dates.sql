-- A measure listed as in force took effect on or before as_of, had not ended by then, and is not
-- an easing.
select event_id, as_of, event_class, effective_on, ended_on
from {{ ref('measures_in_force') }}
where effective_on > as_of
    or ended_on <= as_of
    or event_class = 'easing'
