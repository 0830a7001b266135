# syntax=docker/dockerfile:1
# Image for the Ledger API. Used by docker-compose.yml; build from the repo root:
#   docker build -t ledger-api .

# ---- build -------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# The whole source is copied in one go (rather than .csproj files first) so that
# a project added to src/ never silently breaks the restore layer; the NuGet
# cache mount keeps rebuilds fast instead. .dockerignore keeps bin/obj/tests out.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# Pre-generate Wolverine's handler code so production loads it statically (no Roslyn
# compile on each handler's first call); `codegen` needs no database, only a connection string.
# A NuGet cache that once held the project's old metadata-only stand-in for Patched.DistributedLock.Postgres
# 1.3.3 would keep serving it under the same id and version: such an entry (no lib/) is dropped first.
RUN --mount=type=cache,id=ledger-nuget,target=/root/.nuget/packages \
    { [ -d /root/.nuget/packages/patched.distributedlock.postgres/1.3.3/lib ] || rm -rf /root/.nuget/packages/patched.distributedlock.postgres/1.3.3; } && \
    ConnectionStrings__Ledger="Host=unused;Database=unused" \
      dotnet run --project src/Ledger.Api -c Release -- codegen write && \
    dotnet publish src/Ledger.Api -c Release -o /app

# ---- processor stand-in (demo profile only: `target: processor-standin`) -----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS standin-build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY tools/Ledger.ProcessorStandIn/ tools/Ledger.ProcessorStandIn/
RUN --mount=type=cache,id=ledger-nuget,target=/root/.nuget/packages \
    dotnet publish tools/Ledger.ProcessorStandIn -c Release -o /standin

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS processor-standin
WORKDIR /standin
COPY --from=standin-build /standin ./
ENV ASPNETCORE_URLS=http://+:12111 ASPNETCORE_HTTP_PORTS=""
EXPOSE 12111
USER $APP_UID
ENTRYPOINT ["dotnet", "Ledger.ProcessorStandIn.dll"]

# ---- runtime (the default target: the last stage) ----------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# Listen on 5080 like `./ledger run`. The base image sets ASPNETCORE_HTTP_PORTS=8080;
# clear it so it does not compete with ASPNETCORE_URLS.
ENV ASPNETCORE_URLS=http://+:5080 \
    Ledger__PregeneratedHandlers=true \
    ASPNETCORE_HTTP_PORTS=""
EXPOSE 5080

# Non-root user shipped with the .NET images (5080 needs no privileges).
USER $APP_UID
ENTRYPOINT ["dotnet", "Ledger.Api.dll"]
