"""The one pages router that client and therapist page modules add their routes to.

Routes are added to a single router instead of nesting routers with include_router, so the app sees
every route directly (the authorization matrix and OpenAPI list them one by one)."""

from fastapi import APIRouter

pages_router = APIRouter()
