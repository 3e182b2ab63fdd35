using MutualAid.Bench;

// dotnet run -c Release --project bench/MutualAid.Bench [events] [members]
var events = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
var members = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
CalculatorBenchmark.Run(events, members);
