"""Backup and transfer: the whole database to one portable file and back (`flask export-all`, `flask import-all`)."""
