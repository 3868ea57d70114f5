using FreshchatStream.Bench;

return args.FirstOrDefault() switch
{
    "landers" => await LanderBenchmark.RunAsync(args[1..]),
    "publish" => await PublishBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: FreshchatStream.Bench <benchmark> [options]
          landers  [--rows N] [--batch N] [--postgres CONNECTION]
          publish  [--events N] [--batch N] [--rounds N] [--min-ratio R]
        """);
    return 2;
}
