"""Tools for annotators and their project leads: annotation records, agreement,
adjudication, the qualification quiz, Label Studio configs and guideline rendering."""
