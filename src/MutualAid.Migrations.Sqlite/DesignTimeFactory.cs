using Microsoft.EntityFrameworkCore.Design;
using MutualAid.Data;

namespace MutualAid.Migrations.Sqlite;

/// <summary>For <c>dotnet ef migrations add</c>: the model on SQLite.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MutualAidDbContext>
{
    public MutualAidDbContext CreateDbContext(string[] args) => Database.Parse("Data Source=design.db").CreateContext();
}
