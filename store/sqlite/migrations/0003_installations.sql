-- Apps installed per tenant (Slack OAuth). sealed_token is the bot token
-- encrypted by the adapter; the token itself is never stored.
CREATE TABLE installations (
    platform     TEXT    NOT NULL,
    tenant       TEXT    NOT NULL, -- workspace, or organisation for an org-wide install
    enterprise   TEXT    NOT NULL DEFAULT '',
    org_wide     INTEGER NOT NULL DEFAULT 0,
    team_name    TEXT    NOT NULL DEFAULT '',
    bot_user_id  TEXT    NOT NULL DEFAULT '',
    scopes       TEXT    NOT NULL DEFAULT '',
    installer    TEXT    NOT NULL DEFAULT '',
    sealed_token TEXT    NOT NULL,
    installed_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, tenant)
) WITHOUT ROWID;

-- Set on the reminders an uninstall paused, so a reinstall resumes exactly
-- those and not the ones their users paused.
ALTER TABLE reminders ADD COLUMN tenant_paused INTEGER NOT NULL DEFAULT 0;
