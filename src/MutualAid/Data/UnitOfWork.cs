using Microsoft.EntityFrameworkCore;

namespace MutualAid.Data;

/// <summary>
/// One business event in one transaction, under the database's execution strategy: on PostgreSQL a
/// transient fault (a dropped connection, a failover, a deadlock) runs the whole unit again, from a
/// clean change tracker, so every read and every decision is made afresh (docs/operations.md). The
/// unit reads what it needs inside its work: nothing tracked before it survives (a
/// caller saves its own changes first; what it tracked is detached).
/// Called inside a unit already running (a registration adding its user), it is part of that one.
/// </summary>
public static class UnitOfWork
{
    public static Task<T> InTransactionAsync<T>(this MutualAidDbContext db, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
            return work(cancellationToken);
        return db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    public static Task InTransactionAsync(this MutualAidDbContext db, Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async ct =>
        {
            await work(ct);
            return true;
        }, cancellationToken);
}
