"""Files held between two requests (an attachment kept while a form is asked again, an import waiting for its
preview to be applied): stored in the database, so any web worker can take them back, never in the session."""
