using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Boucle.Web.Data.Migrations.Postgres;

/// The great-circle distance that SQLite gets from each connection (see SqlFunctions).
[DbContext(typeof(PostgresDbContext))]
[Migration("20261126000000_DistanceFunction")]
public sealed class DistanceFunction : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(SqlFunctions.PostgresDefinition);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP FUNCTION IF EXISTS boucle_distance_km(double precision, double precision, double precision, double precision);");
}
