-- Published mart: the measures in force on the build day (var as_of), by the macro of the same name
-- (macros/measures_in_force.sql), which releases also offer for any day.
select * from measures_in_force({{ var('as_of') }})
