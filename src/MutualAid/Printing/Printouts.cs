using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Payments;
using MutualAid.Premiums;

namespace MutualAid.Printing;

/// <summary>
/// The fund's own account, into which units and members pay premiums (收款单位, 开户银行, 账号),
/// and the office that issues the printed documents. It lives in configuration (<c>Fund:</c>),
/// not in the database: it changes when the fund changes banks, never with the data. An issuer
/// left empty is the pooling region's 职工互助保障办公室; an account left empty is printed as
/// not yet set rather than invented.
/// </summary>
public sealed record FundAccount(string? Issuer, string? Payee, string? BankName, string? Account)
{
    public static readonly FundAccount None = new(null, null, null, null);

    public bool IsSet => !string.IsNullOrWhiteSpace(Payee) && !string.IsNullOrWhiteSpace(BankName) && !string.IsNullOrWhiteSpace(Account);
}

public sealed record PrintedLine(string Plan, int Heads, int Units, Money Amount, string Price = "");

/// <summary>缴费通知单 of a unit for the periods starting on a day, as the unit is asked to pay it.</summary>
public sealed record NoticePrint(string Issuer, FundAccount Fund, DateOnly Date, string UnitName, string UnitCode, DateOnly PeriodStart, DateOnly? PeriodEnd,
    IReadOnlyList<PrintedLine> Lines, Money Total, Money Paid, Money Outstanding, int PendingEnrollments);

/// <summary>缴费收据 of one premium payment received.</summary>
public sealed record ReceiptPrint(string Issuer, DateOnly Date, string Number, string PayerKind, string PayerName, string? PayerCode, DateOnly PeriodStart,
    IReadOnlyList<string> Plans, Money Amount, DateOnly PaidOn, string Channel, string Reference, string ReceivedBy);

public sealed record AdviceLine(string Plan, Money Amount, string Explanation);

/// <summary>给付通知书: a paid claim told to its member, with the calculation.</summary>
public sealed record AdvicePrint(string Issuer, DateOnly Date, string Number, string MemberName, string MaskedIdNumber, string Event, DateOnly StartDate, DateOnly EventDate,
    IReadOnlyList<AdviceLine> Lines, Money Total, DateOnly PaidOn, string BankAccount);

public sealed record BatchListLine(int LineNo, string PayeeName, string BankName, string BankAccount, Money Amount);

/// <summary>付款清单: a batch as the bank's sheet, signed by who made it and who approved it.</summary>
public sealed record BatchListPrint(string Issuer, DateOnly Date, string Code, string State, string MadeBy, DateOnly MadeOn, string? ApprovedBy, DateOnly? ApprovedOn,
    IReadOnlyList<BatchListLine> Lines, int Count, Money Total);

/// <summary>
/// The printed documents (打印单据), each read through the reader's scope exactly as the page it is
/// printed from: a unit's payment notice by that unit's officer (and finance, who issue notices to
/// units that do not use the portal); a receipt by finance, the paying unit's officer or the paying
/// member; a payout advice by whoever may open the claim, once it is paid; a batch list by finance.
/// Anything else is null, as if it did not exist. The batch list holds whole bank accounts, so each
/// printing is an audit line, saved before the list is returned.
/// </summary>
public sealed class Printouts(MutualAidDbContext db, FundAccount fund, TimeProvider clock)
{
    public async Task<NoticePrint?> NoticeAsync(UserScope scope, string unitCode, DateOnly periodStart, CancellationToken cancellationToken)
    {
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unitCode, cancellationToken);
        var mayRead = unit is not null && (scope.UnitId == unit.Id || (IsCityOrDistrictFinance(scope) && (scope.DistrictId is null || scope.DistrictId == unit.DistrictId)));
        if (!mayRead)
            return null;
        var notice = await new PremiumDesk(db, clock).NoticeAsync(PayerRef.Unit(unit!.Code), periodStart, cancellationToken);
        var end = await db.Enrollments.AsNoTracking().Where(e => e.UnitId == unit.Id && e.Start == periodStart).MaxAsync(e => (DateOnly?)e.End, cancellationToken);
        return new NoticePrint(await IssuerAsync(cancellationToken), fund, clock.Today(), unit.Name, unit.Code, periodStart, end,
            [.. notice.Lines.Select(l => new PrintedLine(l.PlanName, l.Heads, l.Units, Money.FromYuan(l.Amount), l.Price))],
            Money.FromYuan(notice.Total), Money.FromYuan(notice.Paid), Money.FromYuan(notice.Outstanding), notice.PendingEnrollments);
    }

    public async Task<ReceiptPrint?> ReceiptAsync(UserScope scope, string number, CancellationToken cancellationToken)
    {
        var id = PremiumPayment.IdOf(number);
        var payment = await db.PremiumPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (payment is null || payment.ReceiptNumber != number)
            return null;
        var (kind, name, code, payer, districtId) = await PayerAsync(payment, cancellationToken);
        // Finance of a district reads the payments of its units and members; the funders' are the city's.
        var mayRead = (IsCityOrDistrictFinance(scope) && (scope.DistrictId is null || scope.DistrictId == districtId))
            || (scope.UnitId is { } unit && payment.UnitId == unit)
            || (scope.MemberId is { } member && payment.MemberId == member);
        if (!mayRead)
            return null;
        var plans = (await new PremiumDesk(db, clock).NoticeAsync(payer, payment.PeriodStart, cancellationToken)).Lines.Select(l => l.PlanName).Distinct().ToList();
        // Who received it is the actor of the payment's own audit line, written in the payment's transaction.
        var recorded = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "登记会费到账" && a.Subject == payment.Reference)
            .OrderBy(a => a.Id).Select(a => new { a.User, a.From }).FirstOrDefaultAsync(cancellationToken);
        var online = payment.Reference.StartsWith("网关", StringComparison.Ordinal);
        var receivedBy = recorded is null ? "互助保障办公室" : (await UserNames.LoadAsync(db, [recorded.User], cancellationToken)).Of(recorded.User);
        return new ReceiptPrint(await IssuerAsync(cancellationToken), clock.Today(), payment.ReceiptNumber, kind, name, code, payment.PeriodStart, plans,
            payment.Amount, payment.PaidOn, online ? "在线支付" : "银行转账", online ? payment.Reference["网关".Length..] : payment.Reference,
            online ? "在线支付（支付网关通知入账）" : receivedBy);
    }

    public async Task<AdvicePrint?> AdviceAsync(UserScope scope, string claimNumber, CancellationToken cancellationToken)
    {
        var id = Claim.IdOf(claimNumber);
        var claim = await scope.Claims(db).AsNoTracking().Include(c => c.Lines).SingleOrDefaultAsync(c => c.Id == id && c.State == ClaimState.Paid, cancellationToken);
        if (claim is null || claim.Number != claimNumber)
            return null;
        var member = await db.Members.AsNoTracking().Where(m => m.Id == claim.MemberId).Select(m => new { m.Name, m.IdNumber }).SingleAsync(cancellationToken);
        var paid = await db.Payments.AsNoTracking().Where(p => p.ClaimId == claim.Id && p.State == PaymentState.Paid)
            .Select(p => new { p.BankName, p.BankAccount }).FirstOrDefaultAsync(cancellationToken);
        var plans = await Schemes.PlanNames.LoadAsync(db, cancellationToken);
        var lines = claim.Lines.OrderBy(l => l.Id).Select(l => new AdviceLine(plans.Line(l.PlanCode, l.BenefitCode), l.Amount, l.Explanation)).ToList();
        return new AdvicePrint(await IssuerAsync(cancellationToken), clock.Today(), claim.Number, member.Name, IdNumber.Parse(member.IdNumber).Masked,
            Names.Of(claim.Kind), claim.StartDate, claim.EventDate, lines, claim.Total, BeijingTime.Day(claim.PaidAt!.Value),
            paid is null ? "未登记" : Masks.Account(paid.BankName, paid.BankAccount));
    }

    /// <summary>The batch's sheet with every whole account; the printing is audited before the sheet is given.</summary>
    public async Task<BatchListPrint?> BatchListAsync(UserScope scope, string code, Actor actor, CancellationToken cancellationToken)
    {
        if (!scope.Roles.Contains(Roles.Finance))
            return null;
        var id = PaymentBatch.IdOf(code);
        var batch = await db.PaymentBatches.AsNoTracking().Include(b => b.Payments).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (batch is null || batch.Code != code)
            return null;
        db.Audit(actor, clock.Now(), "打印付款清单", batch.Code, $"{batch.Count} 笔，合计 {batch.Total.ToDisplayString()} 元（含完整银行账号）");
        await db.SaveChangesAsync(cancellationToken);
        var people = await UserNames.LoadAsync(db, [batch.CreatedBy, batch.ApprovedBy], cancellationToken);
        return new BatchListPrint(await IssuerAsync(cancellationToken), clock.Today(), batch.Code, Names.Of(batch.State),
            people.Of(batch.CreatedBy), BeijingTime.Day(batch.CreatedAt),
            batch.ApprovedBy is null ? null : people.Of(batch.ApprovedBy), batch.ApprovedAt is { } at ? BeijingTime.Day(at) : null,
            [.. batch.Payments.OrderBy(p => p.LineNo).Select(p => new BatchListLine(p.LineNo, p.PayeeName, p.BankName, p.BankAccount, p.Amount))],
            batch.Count, batch.Total);
    }

    private async Task<(string Kind, string Name, string? Code, PayerRef Payer, long? DistrictId)> PayerAsync(PremiumPayment payment, CancellationToken cancellationToken)
    {
        switch (payment.Payer)
        {
            case Payer.Unit:
                var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Id == payment.UnitId, cancellationToken);
                return ("单位", unit.Name, unit.Code, PayerRef.Unit(unit.Code), unit.DistrictId);
            case Payer.Member:
                var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == payment.MemberId, cancellationToken);
                var district = await db.Units.Where(u => u.Id == member.UnitId).Select(u => (long?)u.DistrictId).FirstOrDefaultAsync(cancellationToken);
                return ("个人", member.Name, IdNumber.Parse(member.IdNumber).Masked, PayerRef.Member(member.IdNumber), district);
            case Payer.Union:
                return ("工会", "工会", null, PayerRef.Union, null);
            case Payer.Government:
                return ("政府补助", "政府补助", null, PayerRef.Government, null);
            default:
                return ("社会捐赠", "社会捐赠", null, PayerRef.Donation, null);
        }
    }

    private static bool IsCityOrDistrictFinance(UserScope scope) =>
        scope.Roles.Contains(Roles.Finance) && scope.UnitId is null && scope.MemberId is null;

    private async Task<string> IssuerAsync(CancellationToken cancellationToken) =>
        !string.IsNullOrWhiteSpace(fund.Issuer) ? fund.Issuer
        : (await db.Regions.AsNoTracking().OrderBy(r => r.Id).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken)) + "职工互助保障办公室";
}
