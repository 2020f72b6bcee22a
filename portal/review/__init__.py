"""The bureau's review of submitted fee lists, and the re-validation of editions after government-list changes."""
