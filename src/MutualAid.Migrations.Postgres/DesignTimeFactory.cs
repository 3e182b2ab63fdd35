using Microsoft.EntityFrameworkCore.Design;
using MutualAid.Data;

namespace MutualAid.Migrations.Postgres;

/// <summary>For <c>dotnet ef migrations add</c>: the model on PostgreSQL (no server is contacted).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MutualAidDbContext>
{
    public MutualAidDbContext CreateDbContext(string[] args) => Database.Parse("Host=localhost;Database=design").CreateContext();
}
