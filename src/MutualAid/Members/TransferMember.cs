using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Members;

/// <summary>A member's move from one unit to another (or from none, or to none: left the unit), kept for good: the member's history of employers.</summary>
public sealed class MemberTransfer
{
    private MemberTransfer()
    {
    }

    public MemberTransfer(long memberId, long? fromUnitId, long? toUnitId, DateTime at, string by, string reason)
    {
        MemberId = memberId;
        FromUnitId = fromUnitId;
        ToUnitId = toUnitId;
        At = at;
        By = by;
        Reason = reason;
    }

    public long Id { get; private set; }

    public long MemberId { get; private set; }

    public long? FromUnitId { get; private set; }

    /// <summary>None: the member left their unit (离开单位).</summary>
    public long? ToUnitId { get; private set; }

    public DateTime At { get; private set; }

    public string By { get; private set; } = "";

    public string Reason { get; private set; } = "";
}

internal sealed class MemberTransferConfiguration : IEntityTypeConfiguration<MemberTransfer>
{
    public void Configure(EntityTypeBuilder<MemberTransfer> builder)
    {
        builder.ToTable("member_transfers");
        builder.HasIndex(t => t.MemberId);
        builder.Property(t => t.By).HasMaxLength(64);
        builder.Property(t => t.Reason).HasMaxLength(200);
        builder.HasOne<Member>().WithMany().HasForeignKey(t => t.MemberId);
        builder.HasOne<Units.Unit>().WithMany().HasForeignKey(t => t.FromUnitId);
        builder.HasOne<Units.Unit>().WithMany().HasForeignKey(t => t.ToUnitId);
    }
}

/// <summary>
/// 转移单位: a clerk moves a member to another unit, after the new unit's roster reported them as
/// "属于其他单位". The member and the new unit must both lie in the clerk's scope (a move between
/// districts is the city's). The member keeps their enrolments, claims and history; the move is
/// a record of its own and an audit line, under the member's lock so that two at once make one.
/// </summary>
public sealed class TransferMember(MutualAidDbContext db, TimeProvider clock)
{
    public Task<MemberTransfer> HandleAsync(UserScope scope, long memberId, string toUnitCode, string reason, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => HandleAttemptAsync(scope, memberId, toUnitCode, reason, actor, ct), cancellationToken);

    private async Task<MemberTransfer> HandleAttemptAsync(UserScope scope, long memberId, string toUnitCode, string reason, Actor actor, CancellationToken cancellationToken)
    {
        var subject = $"会员 {memberId}";
        if (!scope.Roles.Contains(Roles.Clerk))
            throw new InvalidInputException(subject, "转移单位须由经办办理");
        reason = reason.Trim();
        if (reason.Length is 0 or > 200)
            throw new InvalidInputException([new Problem("转移原因", "须填写（不超过 200 字），如“调入新单位”")]);
        var code = toUnitCode.Trim().ToUpperInvariant();
        var to = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == code, cancellationToken)
            ?? throw new InvalidInputException([new Problem("转入单位", $"没有单位“{toUnitCode}”")]);
        if (scope.DistrictId is { } district && to.DistrictId != district)
            throw new InvalidInputException([new Problem("转入单位", $"{to.Name} 不在您的管理范围内：跨区县转移由市级经办办理")]);

        await ClaimBook.LockAsync(db, [memberId], cancellationToken);
        var member = await scope.Members(db).SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken)
            ?? throw new InvalidInputException(subject, "不在您的管理范围内");
        if (member.UnitId == to.Id)
            throw new InvalidInputException(subject, $"{member.Name} 已在 {to.Name}");
        var from = member.UnitId is { } fromId ? await db.Units.AsNoTracking().Where(u => u.Id == fromId).Select(u => u.Name).SingleAsync(cancellationToken) : "个人参保";
        var now = clock.Now();
        var transfer = new MemberTransfer(member.Id, member.UnitId, to.Id, now, actor.User, reason);
        member.UnitId = to.Id;
        db.MemberTransfers.Add(transfer);
        db.Audit(actor, now, "转移单位", subject, $"{member.Name}：{from} → {to.Name}（{reason}）");
        await db.SaveChangesAsync(cancellationToken);
        return transfer;
    }

    /// <summary>
    /// 离开单位: the member left their unit (离职); kept as a move to no unit, from today. Cover that asks for a
    /// unit (全体会员保障 with <c>inUnit</c>) no longer answers events from that day. Under the member's lock: two at once make one.
    /// </summary>
    public Task<MemberTransfer> LeaveAsync(UserScope scope, long memberId, string reason, Actor actor, CancellationToken cancellationToken) =>
        db.InTransactionAsync(ct => LeaveAttemptAsync(scope, memberId, reason, actor, ct), cancellationToken);

    private async Task<MemberTransfer> LeaveAttemptAsync(UserScope scope, long memberId, string reason, Actor actor, CancellationToken cancellationToken)
    {
        var subject = $"会员 {memberId}";
        if (!scope.Roles.Contains(Roles.Clerk))
            throw new InvalidInputException(subject, "离开单位须由经办办理");
        reason = reason.Trim();
        if (reason.Length is 0 or > 200)
            throw new InvalidInputException([new Problem("离开原因", "须填写（不超过 200 字），如“离职”")]);
        await ClaimBook.LockAsync(db, [memberId], cancellationToken);
        var member = await scope.Members(db).SingleOrDefaultAsync(m => m.Id == memberId, cancellationToken)
            ?? throw new InvalidInputException(subject, "不在您的管理范围内");
        if (member.UnitId is not { } fromId)
            throw new InvalidInputException(subject, $"{member.Name} 不在任何单位");
        var from = await db.Units.AsNoTracking().Where(u => u.Id == fromId).Select(u => u.Name).SingleAsync(cancellationToken);
        var now = clock.Now();
        var transfer = new MemberTransfer(member.Id, fromId, null, now, actor.User, reason);
        member.UnitId = null;
        db.MemberTransfers.Add(transfer);
        db.Audit(actor, now, "离开单位", subject, $"{member.Name}：离开 {from}（{reason}）");
        await db.SaveChangesAsync(cancellationToken);
        return transfer;
    }
}
