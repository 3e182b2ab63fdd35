using System.CommandLine;
using MutualAid.Data;
using MutualAid.Organisation;

namespace MutualAid.Cli;

/// <summary>
/// <c>mutualaid region add | list</c> and <c>mutualaid office add | user</c>: the association's
/// offices and their pooling regions in one PostgreSQL database (README, “Many cities”).
/// </summary>
internal static class RegionCommands
{
    public static Command Region()
    {
        var code = new Argument<string>("CODE") { Description = "统筹区代码（城市的行政区划代码，如 610100）" };
        var name = new Argument<string>("NAME") { Description = "统筹区名称，如 西安市" };
        var office = new Option<string>("--office") { Description = "上级办事处代码（总会或省级办事处，mutualaid office add）", Required = true };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var add = new Command("add", "新建统筹区：城市办事处及其独立的库（PostgreSQL 模式），并升级其结构") { code, name, office, db, json };
        add.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(db), async (directory, ct) =>
        {
            var added = await directory.AddRegionAsync(parse.GetValue(code)!, parse.GetValue(name)!, parse.GetValue(office)!, ct);
            Shared.Say(parse.GetValue(json), added, $"统筹区已就绪：{added.Code} {added.Name}（模式 {added.Schema}）");
        }, cancellationToken));

        var (listDb, listJson) = (Shared.DbOption(), Shared.JsonOption());
        var list = new Command("list", "列出总会、办事处与统筹区") { listDb, listJson };
        list.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(listDb), async (directory, ct) =>
        {
            var offices = await directory.ListAsync(ct);
            if (parse.GetValue(listJson))
                Shared.WriteJson(offices);
            else if (offices.Count == 0)
                Console.WriteLine("本库只有一个统筹区（尚未建立办事处目录）");
            else
                foreach (var o in offices)
                    Console.WriteLine($"{o.Code}\t{o.Name}\t上级 {o.Parent ?? "—"}\t{(o.IsRegion ? $"统筹区（模式 {o.Schema}）" : "办事处")}{(o.Host is null ? "" : $"\t{o.Host}")}");
        }, cancellationToken));

        var hostCode = new Argument<string>("CODE") { Description = "统筹区代码" };
        var host = new Argument<string?>("HOST") { Description = "该市群众访问的主机名，如 xa.example.org；不给则取消", Arity = ArgumentArity.ZeroOrOne };
        var (hostDb, hostJson) = (Shared.DbOption(), Shared.JsonOption());
        var setHost = new Command("host", "设置统筹区的主机名：未登录的页面（自助注册、找回密码、支付通知）按主机名进入该统筹区") { hostCode, host, hostDb, hostJson };
        setHost.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(hostDb), async (directory, ct) =>
        {
            var set = await directory.SetHostAsync(parse.GetValue(hostCode)!, parse.GetValue(host), ct);
            Shared.Say(parse.GetValue(hostJson), set, set.Host is null ? $"统筹区 {set.Code} {set.Name} 已无主机名" : $"统筹区 {set.Code} {set.Name} 的主机名：{set.Host}");
        }, cancellationToken));
        return new Command("region", "统筹区：一个库中的多个城市") { add, list, setHost };
    }

    public static Command Office()
    {
        var code = new Argument<string>("CODE") { Description = "办事处代码，如 610000" };
        var name = new Argument<string>("NAME") { Description = "办事处名称，如 陕西省办事处" };
        var parent = new Option<string?>("--parent") { Description = "上级办事处代码；不给则为总会（只能有一个）" };
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var add = new Command("add", "新建总会或省级办事处") { code, name, parent, db, json };
        add.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(db), async (directory, ct) =>
        {
            var added = await directory.AddOfficeAsync(parse.GetValue(code)!, parse.GetValue(name)!, parse.GetValue(parent), ct);
            Shared.Say(parse.GetValue(json), added, $"办事处已登记：{added.Code} {added.Name}");
        }, cancellationToken));

        var user = new Argument<string>("NAME") { Description = "用户名（登录名，在所有统筹区中唯一）" };
        var display = new Option<string>("--display") { Description = "姓名或称呼", Required = true };
        var office = new Option<string>("--office") { Description = "所在办事处代码", Required = true };
        var stdin = UserCommands.PasswordStdinOption();
        var (userDb, userJson) = (Shared.DbOption(), Shared.JsonOption());
        var addUser = new Command("user", "新建办事处用户：只看本办事处各统筹区的汇总") { user, display, office, stdin, userDb, userJson };
        addUser.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(userDb), async (directory, ct) =>
        {
            var (password, generated) = await UserCommands.PasswordAsync(parse.GetValue(stdin));
            var added = await directory.AddOfficeUserAsync(parse.GetValue(user)!, parse.GetValue(display)!, parse.GetValue(office)!, password, ct);
            Shared.Say(parse.GetValue(userJson), new { added.UserName, Password = generated ? password : null },
                $"已建办事处用户 {added.UserName}" + (generated ? $"，初始密码 {password}（只显示这一次）" : ""));
        }, cancellationToken));
        return new Command("office", "总会与办事处") { add, addUser };
    }

    private static async Task<int> RunAsync(string? connection, Func<RegionDirectory, CancellationToken, Task> verb, CancellationToken cancellationToken)
    {
        try
        {
            await verb(new RegionDirectory(Database.Resolve(connection)), cancellationToken);
            return ExitCodes.Ok;
        }
        catch (Benefits.InvalidInputException e)
        {
            foreach (var problem in e.Problems)
                await Console.Error.WriteLineAsync(problem.ToString());
            return ExitCodes.Invalid;
        }
    }
}
