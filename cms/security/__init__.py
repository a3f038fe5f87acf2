"""Protection of the admin login and the admin's HTTP headers: login throttling (django-axes), optional two-factor
login (wagtail-2fa), the Content-Security-Policy (django-csp) and the client address behind trusted proxies."""
