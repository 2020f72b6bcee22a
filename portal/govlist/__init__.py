"""The government list: the shipped feelists CSV files, their loader, and their copy in the database."""
