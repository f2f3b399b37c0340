class ChineseFirstMiddleware:
    """Serve Chinese unless the user picked another language with the switcher.

    The console is used by Chinese-speaking teams whose browsers may well be set to English; the
    language they choose (Django's language cookie) still wins. Must sit before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
