"""POST /api/auth/token/ returns {"token"}; DELETE revokes the caller's token."""
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        username, password = request.data.get("username"), request.data.get("password")
        if not username or not password:
            return Response({"detail": "username and password are required", "code": "invalid"},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            user = authenticate(request._request, username=str(username), password=str(password))
        except PermissionDenied:  # django-axes: too many failures for this username and address
            return Response({"detail": "too many failed sign-ins; try again in an hour", "code": "locked"},
                            status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None:
            return Response({"detail": "wrong username or password", "code": "authentication_failed"},
                            status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if not request.user.is_authenticated:
            return Response({"detail": "not signed in", "code": "not_authenticated"}, status=status.HTTP_401_UNAUTHORIZED)
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
