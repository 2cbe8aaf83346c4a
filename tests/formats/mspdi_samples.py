"""Small MSPDI documents written out by hand, for reader and command tests."""

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project">
 <Name>Sample</Name>
 <StartDate>2026-01-05T08:00:00</StartDate>
 <CalendarUID>1</CalendarUID>
 <MinutesPerDay>480</MinutesPerDay>
 <Calendars>
  <Calendar>
   <UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>
   <BaseCalendarUID>-1</BaseCalendarUID>
   <WeekDays>
    <WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>
    {weekdays}
    <WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>
   </WeekDays>
   <Exceptions>
    <Exception>
     <TimePeriod><FromDate>2026-01-07T00:00:00</FromDate><ToDate>2026-01-07T23:59:00</ToDate>
     </TimePeriod>
     <Name>Holiday</Name><Type>1</Type><DayWorking>0</DayWorking>
    </Exception>
   </Exceptions>
  </Calendar>
 </Calendars>
 <Tasks>
""".replace(
    "{weekdays}",
    "".join(
        f"<WeekDay><DayType>{day}</DayType><DayWorking>1</DayWorking><WorkingTimes>"
        "<WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
        "<WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>"
        "</WorkingTimes></WeekDay>"
        for day in range(2, 7)
    ),
)

FOOTER = """ </Tasks>
 <Resources>
  <Resource><UID>1</UID><ID>1</ID><Name>Ann</Name><Type>1</Type><MaxUnits>1</MaxUnits></Resource>
 </Resources>
 <Assignments>
  <Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID><Units>1</Units>
   <Work>PT16H0M0S</Work></Assignment>
 </Assignments>
</Project>
"""

TASKS = """
  <Task><UID>0</UID><ID>0</ID><Name>Sample</Name><OutlineLevel>0</OutlineLevel></Task>
  <Task><UID>1</UID><ID>1</ID><Name>Phase</Name><OutlineLevel>1</OutlineLevel>
   <Summary>1</Summary></Task>
  <Task><UID>2</UID><ID>2</ID><Name>Design</Name><OutlineLevel>2</OutlineLevel>
   <Duration>PT16H0M0S</Duration><DurationFormat>7</DurationFormat>
   <Baseline><Number>0</Number><Start>2026-01-05T08:00:00</Start>
    <Finish>2026-01-06T17:00:00</Finish><Duration>PT16H0M0S</Duration></Baseline>
  </Task>
  <Task><UID>3</UID><ID>3</ID><Name>Build</Name><OutlineLevel>2</OutlineLevel>
   <Duration>PT24H0M0S</Duration><DurationFormat>7</DurationFormat>
   <ConstraintType>4</ConstraintType><ConstraintDate>2026-01-06T08:00:00</ConstraintDate>
   <Deadline>2026-01-30T17:00:00</Deadline>
   <PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type>
    <LinkLag>2400</LinkLag><LagFormat>5</LagFormat></PredecessorLink>
  </Task>
  <Task><UID>4</UID><ID>4</ID><Name>Done</Name><OutlineLevel>1</OutlineLevel>
   <Milestone>1</Milestone><DurationFormat>7</DurationFormat>
   <PredecessorLink><PredecessorUID>3</PredecessorUID><Type>1</Type></PredecessorLink>
  </Task>
"""


def document(tasks: str = TASKS) -> bytes:
    return (HEADER + tasks + FOOTER).encode()
