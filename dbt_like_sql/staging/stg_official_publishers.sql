-- Publishers of official notices (seeds/official_publishers.csv) and the jurisdiction whose notices
-- they publish: a document of one of them is the imposer's own notice when the jurisdictions agree.
with source as (
    select * from {{ source('seeds', 'official_publishers') }}
)

select distinct trim(publisher) as publisher, upper(trim(jurisdiction)) as jurisdiction
from source
