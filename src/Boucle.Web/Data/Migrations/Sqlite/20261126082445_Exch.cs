using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Boucle.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Exch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ContestReason",
                table: "Exchanges",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ContestedAt",
                table: "Exchanges",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Synergy",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TerritoryId = table.Column<int>(type: "INTEGER", nullable: false),
                    GiverOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    TakerOrganisationId = table.Column<int>(type: "INTEGER", nullable: false),
                    OfferListingId = table.Column<int>(type: "INTEGER", nullable: true),
                    NeedListingId = table.Column<int>(type: "INTEGER", nullable: true),
                    CategoryCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Flow = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AbandonReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    StageSince = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Synergy", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Synergy_Listings_NeedListingId",
                        column: x => x.NeedListingId,
                        principalTable: "Listings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Synergy_Listings_OfferListingId",
                        column: x => x.OfferListingId,
                        principalTable: "Listings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Synergy_Organisations_GiverOrganisationId",
                        column: x => x.GiverOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Synergy_Organisations_TakerOrganisationId",
                        column: x => x.TakerOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SynergyStep",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SynergyId = table.Column<int>(type: "INTEGER", nullable: false),
                    FromStage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ToStage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SynergyStep", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SynergyStep_Synergy_SynergyId",
                        column: x => x.SynergyId,
                        principalTable: "Synergy",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Synergy_GiverOrganisationId",
                table: "Synergy",
                column: "GiverOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_Synergy_NeedListingId",
                table: "Synergy",
                column: "NeedListingId");

            migrationBuilder.CreateIndex(
                name: "IX_Synergy_OfferListingId",
                table: "Synergy",
                column: "OfferListingId");

            migrationBuilder.CreateIndex(
                name: "IX_Synergy_TakerOrganisationId",
                table: "Synergy",
                column: "TakerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_Synergy_TerritoryId_Stage",
                table: "Synergy",
                columns: new[] { "TerritoryId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_SynergyStep_SynergyId_At",
                table: "SynergyStep",
                columns: new[] { "SynergyId", "At" });

            migrationBuilder.AddForeignKey(
                name: "FK_Exchanges_Synergy_SynergyId",
                table: "Exchanges",
                column: "SynergyId",
                principalTable: "Synergy",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Exchanges_Synergy_SynergyId",
                table: "Exchanges");

            migrationBuilder.DropTable(
                name: "SynergyStep");

            migrationBuilder.DropTable(
                name: "Synergy");

            migrationBuilder.DropColumn(
                name: "ContestReason",
                table: "Exchanges");

            migrationBuilder.DropColumn(
                name: "ContestedAt",
                table: "Exchanges");
        }
    }
}
