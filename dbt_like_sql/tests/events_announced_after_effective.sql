-- An event cannot take effect before it was announced.
select event_id, announced_on, effective_on
from {{ ref('events') }}
where announced_on > effective_on
