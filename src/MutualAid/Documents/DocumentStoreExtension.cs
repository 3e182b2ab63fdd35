using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MutualAid.Documents;

/// <summary>
/// The document store carried in the context's options (<see cref="Data.Database.Configure"/>), so
/// every context knows it and no handler takes it as an argument. It adds no services: all
/// contexts share EF's internal services whatever their store.
/// </summary>
internal sealed class DocumentStoreExtension(IDocumentStore store) : IDbContextOptionsExtension
{
    public IDocumentStore Store { get; } = store;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}
