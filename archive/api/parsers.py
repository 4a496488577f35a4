"""Request bodies the API reads. Every JSON body is an object of named fields: an array, a
string or a number at the top answers 400 instead of reaching a view that expects fields."""
from django.utils.translation import gettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(gettext("the body must be a JSON object of named fields"))
        return data
