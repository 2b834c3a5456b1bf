-- The runs kept for deleted reminders are pruned oldest first, like the
-- occurrences they were copied from; this finds them without a scan.
CREATE INDEX kept_deliveries_at ON kept_deliveries (at);
