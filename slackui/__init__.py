"""The Slack UI kit: Block Kit views, i18n catalogs, action and callback ids, what travels in
button values and modal metadata, and the cached Slack profile of each user. Handlers use it;
it never imports handlers or bot."""
