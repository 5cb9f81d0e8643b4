"""What office staff open and type into: the exceptions workbook, the HTML run report, the submission tracker,
and the corrections loop that reads their typing back."""
