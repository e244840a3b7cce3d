using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Boucle.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Loop : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BiowasteTransfers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TerritoryId = table.Column<int>(type: "INTEGER", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    FromOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    ToOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    MassKg = table.Column<double>(type: "REAL", nullable: false),
                    Weighed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Stream = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Carrier = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    TransportMode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DistanceKm = table.Column<double>(type: "REAL", nullable: true),
                    ExchangeId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BiowasteTransfers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BiowasteTransfers_Exchanges_ExchangeId",
                        column: x => x.ExchangeId,
                        principalTable: "Exchanges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_BiowasteTransfers_Organisations_FromOrganisationId",
                        column: x => x.FromOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_BiowasteTransfers_Organisations_ToOrganisationId",
                        column: x => x.ToOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CanteenProfiles",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Sector = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MealsPerDay = table.Column<int>(type: "INTEGER", nullable: false),
                    MealsPerYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Management = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Production = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MaCantineId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    DiagnosisDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    HasActionPlan = table.Column<bool>(type: "INTEGER", nullable: false),
                    HasDonationAgreement = table.Column<bool>(type: "INTEGER", nullable: false),
                    SortsBiowaste = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastDeclaredYear = table.Column<int>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CanteenProfiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CanteenProfiles_Organisations_OrganisationId",
                        column: x => x.OrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CanteenPurchases",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CanteenOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Supplier = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PriceHt = table.Column<decimal>(type: "TEXT", precision: 14, scale: 2, nullable: false),
                    Family = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Labels = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ShortCircuit = table.Column<bool>(type: "INTEGER", nullable: false),
                    Local = table.Column<bool>(type: "INTEGER", nullable: false),
                    LocalDefinition = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    QuantityKg = table.Column<double>(type: "REAL", nullable: true),
                    SupplierOrganisationId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CanteenPurchases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CanteenPurchases_Organisations_CanteenOrganisationId",
                        column: x => x.CanteenOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CanteenPurchases_Organisations_SupplierOrganisationId",
                        column: x => x.SupplierOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "FarmDeliveries",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    FromOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    ToOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    Product = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MassT = table.Column<double>(type: "REAL", nullable: false),
                    AreaHa = table.Column<double>(type: "REAL", nullable: false),
                    Crop = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FarmDeliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FarmDeliveries_Organisations_FromOrganisationId",
                        column: x => x.FromOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FarmDeliveries_Organisations_ToOrganisationId",
                        column: x => x.ToOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TreatmentOutputs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SiteOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodStart = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PeriodEnd = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    InputT = table.Column<double>(type: "REAL", nullable: false),
                    Product = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OutputT = table.Column<double>(type: "REAL", nullable: false),
                    Standard = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AnalysisReference = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TreatmentOutputs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TreatmentOutputs_Organisations_SiteOrganisationId",
                        column: x => x.SiteOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WasteMeasurements",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CanteenOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    PeriodStart = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PeriodEnd = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    MealCount = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalMassKg = table.Column<double>(type: "REAL", nullable: true),
                    PreparationTotalKg = table.Column<double>(type: "REAL", nullable: true),
                    PreparationEdibleKg = table.Column<double>(type: "REAL", nullable: true),
                    PreparationInedibleKg = table.Column<double>(type: "REAL", nullable: true),
                    PreparationSorted = table.Column<bool>(type: "INTEGER", nullable: true),
                    UnservedTotalKg = table.Column<double>(type: "REAL", nullable: true),
                    UnservedEdibleKg = table.Column<double>(type: "REAL", nullable: true),
                    UnservedInedibleKg = table.Column<double>(type: "REAL", nullable: true),
                    UnservedSorted = table.Column<bool>(type: "INTEGER", nullable: true),
                    LeftoversTotalKg = table.Column<double>(type: "REAL", nullable: true),
                    LeftoversEdibleKg = table.Column<double>(type: "REAL", nullable: true),
                    LeftoversInedibleKg = table.Column<double>(type: "REAL", nullable: true),
                    LeftoversSorted = table.Column<bool>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WasteMeasurements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WasteMeasurements_Organisations_CanteenOrganisationId",
                        column: x => x.CanteenOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BiowasteTransfers_ExchangeId",
                table: "BiowasteTransfers",
                column: "ExchangeId");

            migrationBuilder.CreateIndex(
                name: "IX_BiowasteTransfers_FromOrganisationId",
                table: "BiowasteTransfers",
                column: "FromOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_BiowasteTransfers_TerritoryId_Date",
                table: "BiowasteTransfers",
                columns: new[] { "TerritoryId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_BiowasteTransfers_ToOrganisationId",
                table: "BiowasteTransfers",
                column: "ToOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_CanteenProfiles_OrganisationId",
                table: "CanteenProfiles",
                column: "OrganisationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CanteenPurchases_CanteenOrganisationId_Date",
                table: "CanteenPurchases",
                columns: new[] { "CanteenOrganisationId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_CanteenPurchases_SupplierOrganisationId",
                table: "CanteenPurchases",
                column: "SupplierOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_FarmDeliveries_FromOrganisationId_Date",
                table: "FarmDeliveries",
                columns: new[] { "FromOrganisationId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_FarmDeliveries_ToOrganisationId",
                table: "FarmDeliveries",
                column: "ToOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_TreatmentOutputs_SiteOrganisationId_PeriodStart",
                table: "TreatmentOutputs",
                columns: new[] { "SiteOrganisationId", "PeriodStart" });

            migrationBuilder.CreateIndex(
                name: "IX_WasteMeasurements_CanteenOrganisationId_PeriodStart",
                table: "WasteMeasurements",
                columns: new[] { "CanteenOrganisationId", "PeriodStart" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BiowasteTransfers");

            migrationBuilder.DropTable(
                name: "CanteenProfiles");

            migrationBuilder.DropTable(
                name: "CanteenPurchases");

            migrationBuilder.DropTable(
                name: "FarmDeliveries");

            migrationBuilder.DropTable(
                name: "TreatmentOutputs");

            migrationBuilder.DropTable(
                name: "WasteMeasurements");
        }
    }
}
