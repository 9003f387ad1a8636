# One image for every EventChat process: the edge in /app/api, the workers in /app/workers.
# docker-compose.yml chooses the program (and the worker role) per service.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# A developer's local bin/obj (and eng/cluster.sh state) would otherwise be copied in and
# confuse restore with paths from the host.
RUN find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + \
 && rm -rf .cluster
RUN dotnet restore EventChat.sln
# Separate folders: both apps ship an appsettings.json, and each host reads the one in
# its working directory. The cmp guards the edge's settings, since the edge project
# also carries the workers' file through its project reference.
RUN dotnet publish src/Api -c Release --no-restore -o /app/api \
 && cmp src/Api/appsettings.json /app/api/appsettings.json \
 && dotnet publish src/Workers -c Release --no-restore -o /app/workers

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl is for the compose healthchecks; the base image has no HTTP client.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
# The non-root account that the .NET base images provide.
USER $APP_UID
WORKDIR /app/api
EXPOSE 8080
CMD ["dotnet", "EventChat.Api.dll"]
