"""Pure pricing: a shipment estimated from posted lines; statistics over comparable lines. No Flask, no database."""
