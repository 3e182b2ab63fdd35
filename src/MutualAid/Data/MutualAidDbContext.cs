using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using MutualAid.Common;

namespace MutualAid.Data;

/// <summary>
/// The one unit of work over the database, SQLite or PostgreSQL alike. Each entity's
/// mapping sits beside the entity in its feature folder. It is also the user store of ASP.NET
/// Core Identity, so users, their scope and what they do share one database and transaction.
/// </summary>
public class MutualAidDbContext(DbContextOptions<MutualAidDbContext> options)
    : IdentityDbContext<Access.User, IdentityRole<long>, long>(options)
{
    public DbSet<Schemes.StoredScheme> Schemes => Set<Schemes.StoredScheme>();

    public DbSet<Schemes.StoredPlanVersion> PlanVersions => Set<Schemes.StoredPlanVersion>();

    public DbSet<Organisation.Region> Regions => Set<Organisation.Region>();

    public DbSet<Organisation.District> Districts => Set<Organisation.District>();

    public DbSet<Organisation.ServicePoint> ServicePoints => Set<Organisation.ServicePoint>();

    public DbSet<Units.Unit> Units => Set<Units.Unit>();

    public DbSet<Members.Member> Members => Set<Members.Member>();

    public DbSet<Members.MemberTransfer> MemberTransfers => Set<Members.MemberTransfer>();

    public DbSet<Members.BankAccountChange> BankAccountChanges => Set<Members.BankAccountChange>();

    public DbSet<Enrollment.Enrollment> Enrollments => Set<Enrollment.Enrollment>();

    public DbSet<Premiums.PremiumPayment> PremiumPayments => Set<Premiums.PremiumPayment>();

    public DbSet<Settlements.Settlement> Settlements => Set<Settlements.Settlement>();

    public DbSet<Claims.Claim> Claims => Set<Claims.Claim>();

    public DbSet<Claims.ClaimLine> ClaimLines => Set<Claims.ClaimLine>();

    public DbSet<Claims.ClaimDocument> ClaimDocuments => Set<Claims.ClaimDocument>();

    public DbSet<Claims.Recovery> Recoveries => Set<Claims.Recovery>();

    public DbSet<Notifications.Notice> Notices => Set<Notifications.Notice>();

    public DbSet<Payments.PaymentBatch> PaymentBatches => Set<Payments.PaymentBatch>();

    public DbSet<Payments.Payment> Payments => Set<Payments.Payment>();

    public DbSet<Ledger.JournalEntry> JournalEntries => Set<Ledger.JournalEntry>();

    public DbSet<Ledger.ClosedPeriod> ClosedPeriods => Set<Ledger.ClosedPeriod>();

    public DbSet<Reports.PlanBudget> PlanBudgets => Set<Reports.PlanBudget>();

    public DbSet<Premiums.PremiumOrder> PremiumOrders => Set<Premiums.PremiumOrder>();

    public DbSet<Auditing.AuditEntry> AuditEntries => Set<Auditing.AuditEntry>();

    public DbSet<Members.OneTimeCode> OneTimeCodes => Set<Members.OneTimeCode>();

    public DbSet<Relief.HardshipFile> HardshipFiles => Set<Relief.HardshipFile>();

    public DbSet<Relief.ReliefApplication> ReliefApplications => Set<Relief.ReliefApplication>();

    public DbSet<Relief.ReliefBudget> ReliefBudgets => Set<Relief.ReliefBudget>();

    public DbSet<Partners.Partner> Partners => Set<Partners.Partner>();

    public DbSet<Partners.PartnerStatement> PartnerStatements => Set<Partners.PartnerStatement>();

    public DbSet<Partners.PartnerDiscount> PartnerDiscounts => Set<Partners.PartnerDiscount>();
    public DbSet<ModelWorkers.ModelWorkerTitle> ModelWorkers => Set<ModelWorkers.ModelWorkerTitle>();

    /// <summary>
    /// The concurrency token of every record whose state changes by business events (claims,
    /// batches, payments, recoveries, premium orders, bank account changes, hardship files, relief applications and budgets, partners and their statements): each save of a change writes
    /// <c>… WHERE id = @id AND version = @read</c> and adds one, so of two requests that read the
    /// same state only the first takes effect.
    /// </summary>
    public const string Version = "Version";

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves the unit of work. When a versioned record changed since it was read, nothing of the
    /// unit is saved and the person is told who was first, as invalid input naming the record.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State == EntityState.Modified && entry.Metadata.FindProperty(Version) is { IsConcurrencyToken: true })
            {
                var version = entry.Property(Version);
                version.CurrentValue = (int)version.OriginalValue! + 1;
            }
        }
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateConcurrencyException e) when (e.Entries.Count > 0 && e.Entries.All(x => x.Metadata.FindProperty(Version) is not null))
        {
            var problems = new List<Benefits.Problem>();
            foreach (var entry in e.Entries)
                problems.Add(await Conflicts.DescribeAsync(entry, cancellationToken));
            throw new Benefits.InvalidInputException(problems);
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Access.User>().ToTable("users");
        builder.Entity<IdentityRole<long>>().ToTable("roles");
        builder.Entity<IdentityUserRole<long>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<long>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<long>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<long>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<long>>().ToTable("role_claims");
        builder.Entity<Access.User>().Property(u => u.DisplayName).HasMaxLength(50);
        builder.ApplyConfigurationsFromAssembly(typeof(MutualAidDbContext).Assembly);
        foreach (var versioned in new[] { typeof(Claims.Claim), typeof(Claims.Recovery), typeof(Payments.PaymentBatch), typeof(Payments.Payment), typeof(Premiums.PremiumOrder), typeof(Members.BankAccountChange),
            typeof(Relief.HardshipFile), typeof(Relief.ReliefApplication), typeof(Relief.ReliefBudget),
            typeof(Partners.Partner), typeof(Partners.PartnerStatement), typeof(Units.Unit) })
            builder.Entity(versioned).Property<int>(Version).IsConcurrencyToken();
        Sql.Map(builder, Database.IsNpgsql());
        UseSnakeCase(builder);
    }

    /// <summary>snake_case columns, so that SQL on PostgreSQL needs no quotes; names set in a mapping are kept.</summary>
    private static void UseSnakeCase(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                // An owned value shares its owner's row, and so the owner's key column (every owner's key is Id).
                if (entity.IsOwned() && property.IsPrimaryKey())
                    property.SetColumnName("id");
                else if (property.GetColumnName() is var column && !column.Contains('_', StringComparison.Ordinal))
                    property.SetColumnName(SnakeCase(column));
            }
        }
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Money>().HaveConversion<MoneyConverter>();
        configurationBuilder.DefaultTypeMapping<Money>().HasConversion<MoneyConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(200);
    }

    /// <summary>Money is stored as whole fen in a 64-bit integer.</summary>
    private sealed class MoneyConverter() : ValueConverter<Money, long>(m => m.Fen, fen => new Money(fen));
}
