-- When 1, the page address a visitor's widget reports keeps its query string and fragment
-- (`?order=1234#x`). Off by default: the widget sends, and the edge stores, only the scheme,
-- host and path (an admin turns it on with PUT /v1/console/site-settings).
ALTER TABLE sites ADD COLUMN page_url_query INTEGER NOT NULL DEFAULT 0;
