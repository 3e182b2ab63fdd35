using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Benefits;
using MutualAid.Claims;
using MutualAid.Common;
using MutualAid.Data;
using MutualAid.Members;

namespace MutualAid.Web;

public sealed record TokenRequest(string UserName, string Password);

public sealed record PlanView(string Plan, DateOnly Start, DateOnly End, int Units, decimal Premium, string Status, DateOnly? CoveredFrom, string PriceRule = "");

public sealed record ClaimLineApi(string Plan, string? Benefit, decimal Amount, string? Reason, string Explanation);

public sealed record ClaimApi(string Number, DateOnly EventDate, string Kind, string Source, string State, decimal Total, DateTime DueBy, DateTime? PaidAt, IReadOnlyList<ClaimLineApi> Lines);

public sealed record DocumentApi(string Type, string FileName, string ContentBase64);

/// <summary>
/// A claim a member submits from the union's app: the event, its figures (yuan), the treatments
/// (<c>procedures</c>: surgery, radiotherapy, chemotherapy, with a <c>procedureRecord</c> document) and the documents.
/// </summary>
public sealed record ClaimSubmission(
    string Kind, DateOnly Date, DateOnly? AdmissionDate, DateOnly? DischargeDate, string? Diagnoses, string? Grade, string? Hospital,
    decimal TotalCost, decimal InsurancePaid, decimal SelfPayInScope, decimal SelfPayOutOfScope, decimal Loss,
    IReadOnlyList<string>? Plans, IReadOnlyList<DocumentApi>? Documents, IReadOnlyList<string>? Procedures = null);

public sealed record ProblemApi(string Field, string Message);

/// <summary>A reviewer's decision: approve, reject or return, with a code of the review reasons (<c>GET /claims/reasons</c>) and words.</summary>
public sealed record ReviewApi(string? Action, string? Code, string? Note, bool CheckedDuplicates);

/// <summary>A bank-card change as the API gives it: the accounts cut to their last four digits.</summary>
public sealed record BankChangeApi(long Id, long MemberId, string State, string StateName, string Description, string Source, string Reason,
    string MadeBy, DateTime MadeAt, DateTime EffectiveAt, string? DecidedBy, DateTime? DecidedAt, string? DecisionReason);

/// <summary>A model worker's title as recorded (劳模登记): level 全国/省部级/市级 (or national/provincial/city), the title, the year awarded.</summary>
public sealed record ModelWorkerApi(string? Level, string? Title, int? Year);

/// <summary>Why a bank-card change is cancelled (撤销原因).</summary>
public sealed record BankChangeCancelApi(string? Reason);

/// <summary>
/// <c>/api/v1</c> for a union's app: a bearer token for a user's name and password, then the
/// signed-in member's plans and claims, and claim submission; staff and unit officers read the
/// claims of members in their scope. Outside the scope a member is not found.
/// </summary>
internal static class Api
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("MutualAid");
        api.MapPost("/token", async (TokenRequest request, HttpContext http, SignInManager<User> signIn) =>
        {
            await RegionSignIn.UseLoginAsync(http, request.UserName);
            signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
            var result = await signIn.PasswordSignInAsync(request.UserName, request.Password, isPersistent: false, lockoutOnFailure: true);
            return result.Succeeded ? Results.Empty : Results.Problem(result.IsLockedOut ? "账户已锁定" : "用户名或密码不正确", statusCode: StatusCodes.Status401Unauthorized);
        }).AllowAnonymous().WithSummary("以用户名和密码换取访问令牌（Bearer）");

        var signedIn = api.MapGroup("").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = IdentityConstants.BearerScheme });
        signedIn.MapGet("/me/plans", async (CurrentUser current, MutualAidDbContext db) =>
        {
            if ((await current.ScopeAsync()).MemberId is not { } member)
                return Results.Problem("只有会员本人有“我的保障”", statusCode: StatusCodes.Status403Forbidden);
            var plans = await db.Enrollments.AsNoTracking().Where(e => e.MemberId == member).OrderByDescending(e => e.Start).ToListAsync();
            return Results.Ok(plans.Select(e => new PlanView(e.PlanCode, e.Start, e.End, e.Units, e.Premium.Yuan, e.Status.ToString(), e.CoverageStart, e.PriceRule)));
        }).WithSummary("我的保障计划与期间");
        signedIn.MapGet("/me/cover", async (CurrentUser current, MutualAidDbContext db, TimeProvider clock) =>
            (await current.ScopeAsync()).MemberId is { } member
                ? Results.Ok(await MemberCoverage.OnAsync(db, member, clock.Today(), default))
                : Results.Problem("只有会员本人有“我的保障”", statusCode: StatusCodes.Status403Forbidden))
            .WithSummary("全体会员保障（无需参保）：今日是否在保障范围及原因");
        signedIn.MapGet("/me/claims", async (CurrentUser current, MutualAidDbContext db) =>
            (await current.ScopeAsync()).MemberId is { } member
                ? Results.Ok(await ClaimsOfAsync(db, db.Claims.Where(c => c.MemberId == member)))
                : Results.Problem("只有会员本人有“我的理赔”", statusCode: StatusCodes.Status403Forbidden))
            .WithSummary("我的理赔，每笔给付附计算过程");
        signedIn.MapGet("/members/{id:long}/claims", async (long id, CurrentUser current, MutualAidDbContext db) =>
        {
            var scope = await current.ScopeAsync();
            return await scope.Members(db).AnyAsync(m => m.Id == id)
                ? Results.Ok(await ClaimsOfAsync(db, db.Claims.Where(c => c.MemberId == id)))
                : Results.NotFound();
        }).WithSummary("一名会员的理赔（限本人可见范围）");
        signedIn.MapPost("/me/claims", async (ClaimSubmission submission, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
        {
            var scope = await current.ScopeAsync();
            if (scope.MemberId is not { } member)
                return Results.Problem("只有会员本人可以在线申请", statusCode: StatusCodes.Status403Forbidden);
            try
            {
                var request = ToRequest(submission, $"会员 {scope.UserName}", await db.Members.Where(m => m.Id == member).Select(m => m.IdNumber).SingleAsync(), null);
                var claim = await new ManualClaims(db, clock).SubmitAsync(request, await audit.ActorAsync(Auditing.Origin.Api), default);
                return Results.Created($"/api/v1/me/claims/{claim.Number}", new { claim.Number, State = claim.State.ToString(), Total = claim.Total.Yuan });
            }
            catch (InvalidInputException e)
            {
                return Results.BadRequest(e.Problems.Select(p => new ProblemApi(p.Path, p.Message)));
            }
        }).WithSummary("在线申请理赔：填写费用、上传材料（Base64）");
        signedIn.MapPost("/members/{id:long}/claims", async (long id, ClaimSubmission submission, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
        {
            var scope = await current.ScopeAsync();
            if (!scope.Roles.Overlaps([Roles.UnitOfficer, Roles.Clerk]))
                return Results.Problem("只有经办人员和单位经办可以为会员申请理赔", statusCode: StatusCodes.Status403Forbidden);
            if (await db.Members.Where(m => m.Id == id).Select(m => m.IdNumber).SingleOrDefaultAsync() is not { } idNumber)
                return Results.NotFound();
            if (!await scope.Members(db).AnyAsync(m => m.Id == id))
                return Results.Problem(scope.UnitId is not null ? "该会员不是本单位的职工，单位只能为本单位职工代办理赔" : "该会员不在您的范围内",
                    statusCode: StatusCodes.Status403Forbidden);
            try
            {
                var claim = await new ManualClaims(db, clock).SubmitAsync(ToRequest(submission, scope.UserName, idNumber, scope), await audit.ActorAsync(Auditing.Origin.Api), default);
                return Results.Created($"/api/v1/claims/{claim.Number}", new { claim.Number, State = claim.State.ToString(), Total = claim.Total.Yuan, ThroughUnit = claim.ThroughUnitId is not null });
            }
            catch (InvalidInputException e)
            {
                return Results.BadRequest(e.Problems.Select(p => new ProblemApi(p.Path, p.Message)));
            }
        }).WithSummary("为一名会员申请理赔：单位经办为本单位职工代办（单位代办），经办人员为范围内的会员受理；材料 Base64");
        signedIn.MapPost("/members/{id:long}/model-worker", async (long id, ModelWorkerApi body, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
        {
            var scope = await current.ScopeAsync();
            if (!scope.Roles.Contains(Roles.Clerk))
                return Results.Problem("只有经办人员可以登记劳模", statusCode: StatusCodes.Status403Forbidden);
            if (!await scope.Members(db).AnyAsync(m => m.Id == id))
                return Results.NotFound();
            try
            {
                var title = await new MutualAid.ModelWorkers.RecordModelWorker(db, clock).HandleAsync(scope, id, body.Level, body.Title, body.Year, await audit.ActorAsync(Auditing.Origin.Api), default);
                return Results.Ok(new { title.MemberId, Level = title.Level.ToString(), LevelName = Names.Of(title.Level), title.Title, title.Year, title.RecordedBy });
            }
            catch (InvalidInputException e)
            {
                return Results.BadRequest(e.Problems.Select(p => new ProblemApi(p.Path, p.Message)));
            }
        }).WithSummary("登记劳模：级别（全国、省部级、市级）、称号、授予年份（经办，限范围内的会员）");
        signedIn.MapGet("/claims/reasons", () => Results.Ok(new { Reject = ReviewReasons.Rejection, Return = ReviewReasons.Return }))
            .WithSummary("驳回、退回的原因代码清单（与网页、命令行相同）");
        signedIn.MapPost("/claims/{number}/review", async (string number, ReviewApi review, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
        {
            var scope = await current.ScopeAsync();
            if (!scope.Roles.Contains(Roles.Reviewer))
                return Results.Problem("只有复核人员可以复核理赔", statusCode: StatusCodes.Status403Forbidden);
            if (!await scope.Claims(db).AnyAsync(c => c.Id == Claim.IdOf(number)))
                return Results.NotFound();
            try
            {
                var (desk, actor) = (new ReviewClaims(db, clock), await audit.ActorAsync(Auditing.Origin.Api));
                var claim = review.Action switch
                {
                    "approve" => await desk.ApproveAsync(number, actor, review.Note, review.CheckedDuplicates, default),
                    "reject" => await desk.RejectAsync(number, actor, review.Code, review.Note, default),
                    "return" => await desk.ReturnAsync(number, actor, review.Code, review.Note, default),
                    _ => throw new InvalidInputException([new Problem("action", $"“{review.Action}”应为 approve（通过）、reject（驳回）或 return（退回补正）")]),
                };
                return Results.Ok(new { claim.Number, State = claim.State.ToString(), StateName = Names.Of(claim.State) });
            }
            catch (InvalidInputException e)
            {
                return Results.BadRequest(e.Problems.Select(p => new ProblemApi(p.Path, p.Message)));
            }
        }).WithSummary("复核一件理赔：通过、驳回或退回（原因代码见 /claims/reasons）");
        signedIn.MapGet("/members/{id:long}/bank-changes", async (long id, CurrentUser current, MutualAidDbContext db, TimeProvider clock) =>
        {
            var scope = await current.ScopeAsync();
            if (!await scope.Members(db).AnyAsync(m => m.Id == id))
                return Results.NotFound();
            var now = clock.Now();
            var changes = await new ChangeBankAccount(db, clock).OfMemberAsync(scope, id, default);
            return Results.Ok(changes.Select(c => ToApi(c, now)));
        }).WithSummary("一名会员的银行卡变更，最新的在前（限本人可见范围）");
        signedIn.MapPost("/bank-changes/{id:long}/confirm", (long id, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
            DecideAsync(id, current, db, clock, async (desk, scope) => await desk.ConfirmAsync(scope, id, await audit.ActorAsync(Auditing.Origin.Api), default)))
            .WithSummary("复核一项待生效的银行卡变更（经办，非办理人）：新卡即用于发放");
        signedIn.MapPost("/bank-changes/{id:long}/cancel", (long id, BankChangeCancelApi body, CurrentUser current, Audit audit, MutualAidDbContext db, TimeProvider clock) =>
            DecideAsync(id, current, db, clock, async (desk, scope) => await desk.CancelAsync(scope, id, body.Reason, await audit.ActorAsync(Auditing.Origin.Api), default)))
            .WithSummary("撤销一项待生效的银行卡变更（经办，非办理人，须写明原因）：恢复原来的银行卡");
    }

    /// <summary>复核 or 撤销 of a bank-card change: a clerk's, for a member in their scope; the handler decides the rest.</summary>
    private static async Task<IResult> DecideAsync(long id, CurrentUser current, MutualAidDbContext db, TimeProvider clock,
        Func<ChangeBankAccount, UserScope, Task<BankAccountChange>> decide)
    {
        var scope = await current.ScopeAsync();
        if (!scope.Roles.Contains(Roles.Clerk))
            return Results.Problem("只有经办人员可以复核或撤销银行卡变更", statusCode: StatusCodes.Status403Forbidden);
        var memberId = await db.BankAccountChanges.Where(c => c.Id == id).Select(c => (long?)c.MemberId).SingleOrDefaultAsync();
        if (memberId is null)
            return Results.NotFound();
        if (!await scope.Members(db).AnyAsync(m => m.Id == memberId))
            return Results.Problem($"银行卡变更 {id} 的会员不在您的范围内", statusCode: StatusCodes.Status403Forbidden);
        try
        {
            return Results.Ok(ToApi(await decide(new ChangeBankAccount(db, clock), scope), clock.Now()));
        }
        catch (InvalidInputException e)
        {
            return Results.BadRequest(e.Problems.Select(p => new ProblemApi(p.Path, p.Message)));
        }
    }

    private static BankChangeApi ToApi(BankAccountChange c, DateTime now) =>
        new(c.Id, c.MemberId, c.State.ToString(), c.StateName(now), c.Description, Names.Of(c.Source), c.Reason, c.MadeBy, c.MadeAt, c.EffectiveAt, c.DecidedBy, c.DecidedAt, c.DecisionReason);

    /// <summary>The handler's request for a submission: the member's own online (<paramref name="scope"/> null), or filed by staff or a unit for the member.</summary>
    private static ManualClaimRequest ToRequest(ClaimSubmission s, string enteredBy, string idNumber, UserScope? scope)
    {
        if (s.Kind is null || !SpecNames.EventKinds.TryGetValue(s.Kind, out var kind))
            throw new InvalidInputException([new Problem("kind", $"“{s.Kind}”应为 {string.Join("、", SpecNames.EventKinds.Keys)} 之一")]);
        var problems = new List<Problem>();
        Money Amount(string field, decimal yuan)
        {
            if (Money.TryFromYuan(yuan, out var money))
                return money;
            problems.Add(new Problem(field, $"{yuan} 不是金额（元，最多两位小数）"));
            return Money.Zero;
        }
        var details = new ClaimEvent
        {
            AdmissionDate = s.AdmissionDate, DischargeDate = s.DischargeDate, Diagnoses = s.Diagnoses ?? "", Grade = s.Grade, Hospital = s.Hospital,
            TotalCost = Amount("totalCost", s.TotalCost), InsurancePaid = Amount("insurancePaid", s.InsurancePaid),
            SelfPayInScope = Amount("selfPayInScope", s.SelfPayInScope), SelfPayOutOfScope = Amount("selfPayOutOfScope", s.SelfPayOutOfScope),
            Loss = Amount("loss", s.Loss),
            Procedures = ClaimEvent.ParseProcedures((s.Procedures ?? []).OfType<string>(), "procedures", problems),
        };
        var documents = new List<DocumentFile>();
        foreach (var (d, i) in (s.Documents ?? []).Select((d, i) => (d, i + 1)))
        {
            if (d?.Type is null || d.FileName is null || d.ContentBase64 is null)
            {
                problems.Add(new Problem($"材料 {i}", "须有 type、fileName 和 contentBase64"));
                continue;
            }
            try
            {
                documents.Add(new DocumentFile(d.Type, d.FileName, Convert.FromBase64String(d.ContentBase64)));
            }
            catch (FormatException)
            {
                problems.Add(new Problem($"材料 {d.FileName}", "内容不是 Base64"));
            }
        }
        return problems.Count > 0
            ? throw new InvalidInputException(problems)
            : new ManualClaimRequest(enteredBy, idNumber, kind, s.Date, details, [.. (s.Plans ?? []).OfType<string>()], documents, Online: scope is null, Scope: scope);
    }

    private static async Task<List<ClaimApi>> ClaimsOfAsync(MutualAidDbContext db, IQueryable<Claim> claims)
    {
        var rows = await claims.AsNoTracking().Include(c => c.Lines).OrderByDescending(c => c.Id).Take(100).ToListAsync();
        return [.. rows.Select(c => new ClaimApi(c.Number, c.EventDate, c.Kind.ToString(), c.Source.ToString(), c.State.ToString(), c.Total.Yuan, c.DueBy, c.PaidAt,
            [.. c.Lines.Select(l => new ClaimLineApi(l.PlanCode, l.BenefitCode, l.Amount.Yuan, l.Reason, l.Explanation))]))];
    }
}
