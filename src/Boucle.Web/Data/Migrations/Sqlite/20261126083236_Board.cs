using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Boucle.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Board : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ListingTerms_Term_Weight_ListingId",
                table: "ListingTerms",
                columns: new[] { "Term", "Weight", "ListingId" });

            migrationBuilder.CreateIndex(
                name: "IX_Listings_PublishedAt_Id",
                table: "Listings",
                columns: new[] { "PublishedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ListingTerms_Term_Weight_ListingId",
                table: "ListingTerms");

            migrationBuilder.DropIndex(
                name: "IX_Listings_PublishedAt_Id",
                table: "Listings");
        }
    }
}
