"""Where a page is found: its path below its municipality's home page and its address on the municipality's
frontend. Every output (GraphQL, schema.org, open data, change feed, webhooks) builds page addresses here."""


def path_below_home(url_path, home_url_path):
    """ "/projekte/smart-welcome-city/" for a page's Wagtail url_path below the home page's; "/" for the home page."""
    if not url_path.startswith(home_url_path):
        return url_path
    return "/" + url_path[len(home_url_path) :]


def stored_url_path(home_page, relative_path):
    """The inverse of `path_below_home`: Wagtail's url_path of the page at "/projekte/..." below the home page."""
    relative = relative_path.strip("/")
    return home_page.url_path + (relative + "/" if relative else "")


def relative_url_path(page, owners):
    """The path below the owning municipality's home page."""
    municipality = owners.of(page)
    if municipality is None:
        return page.url_path
    return path_below_home(page.url_path, municipality.home_page.url_path)


def frontend_url(page, owners):
    """The page's absolute address on its municipality's frontend, or None if the municipality has none set."""
    settings = owners.settings_of(owners.of(page))
    base_url = settings.frontend_base_url if settings else ""
    if not base_url:
        return None
    return base_url.rstrip("/") + relative_url_path(page, owners)
