using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Boucle.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Impact : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DensityFactor",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CategoryCode = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    TonnesPerUnit = table.Column<double>(type: "REAL", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DensityFactor", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExchangeImpact",
                columns: table => new
                {
                    ExchangeId = table.Column<int>(type: "INTEGER", nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FactorIds = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Tonnes = table.Column<double>(type: "REAL", nullable: true),
                    TonnesDiverted = table.Column<double>(type: "REAL", nullable: false),
                    Co2eTreatmentKg = table.Column<double>(type: "REAL", nullable: false),
                    Co2eTransportKg = table.Column<double>(type: "REAL", nullable: false),
                    Co2eAvoidedVirginKg = table.Column<double>(type: "REAL", nullable: false),
                    Co2eAvoidedDisposalKg = table.Column<double>(type: "REAL", nullable: false),
                    EurDisposalAvoided = table.Column<double>(type: "REAL", nullable: false),
                    EurPurchasesAvoided = table.Column<double>(type: "REAL", nullable: false),
                    VirginMaterialTonnes = table.Column<double>(type: "REAL", nullable: false),
                    HazardousReusedTonnes = table.Column<double>(type: "REAL", nullable: false),
                    Arithmetic = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExchangeImpact", x => x.ExchangeId);
                    table.ForeignKey(
                        name: "FK_ExchangeImpact_Exchanges_ExchangeId",
                        column: x => x.ExchangeId,
                        principalTable: "Exchanges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ImpactFactor",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Value = table.Column<double>(type: "REAL", nullable: false),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImpactFactor", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DensityFactor_CategoryCode_Unit_Version",
                table: "DensityFactor",
                columns: new[] { "CategoryCode", "Unit", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ImpactFactor_Key_Version",
                table: "ImpactFactor",
                columns: new[] { "Key", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DensityFactor");

            migrationBuilder.DropTable(
                name: "ExchangeImpact");

            migrationBuilder.DropTable(
                name: "ImpactFactor");
        }
    }
}
