"""Notifications: any app tells people about an event, in the portal (the bell) and by e-mail."""
