-- An event cannot end before it takes effect.
select event_id, effective_on, ended_on
from {{ ref('events') }}
where ended_on < effective_on
