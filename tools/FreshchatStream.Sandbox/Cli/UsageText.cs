namespace FreshchatStream.Sandbox.Cli;

/// <summary>The help screens, kept beside the parsers so options and their description change together.</summary>
internal static class UsageText
{
    public const string General =
        """
        freshchat-sandbox - local stand-ins for everything FreshchatStream's producer talks to.

        Usage:
          freshchat-sandbox up [options]          start the Freshchat emulator, the Schema Registry emulator and a
                                                  mock Kafka cluster until Ctrl-C / SIGTERM
          freshchat-sandbox freshchat [options]   start only the Freshchat emulator until Ctrl-C / SIGTERM
          freshchat-sandbox demo [--users N] [--cycles N] [--output DIR]
                                                  the product end to end in-process: sandbox, producer backfill and
                                                  live cycles, DuckDB lander, summary (no Docker, Kafka or Redis)
          freshchat-sandbox --help                show this help ("up --help", "freshchat --help" list the options)

        Exit codes: 0 ok, 1 failure, 2 bad arguments.
        """;

    public const string Up =
        """
        Usage: freshchat-sandbox up [options]

        Starts the Freshchat API emulator, the Schema Registry emulator and a librdkafka mock Kafka cluster,
        prints the producer's settings on standard output as exactly six environment lines

          Freshchat__BaseUrl=http://127.0.0.1:PORT/v2
          Freshchat__ApiKey=KEY
          Kafka__BootstrapServers=127.0.0.1:PORT[,127.0.0.1:PORT...]
          SchemaRegistry__Url=http://127.0.0.1:PORT
          Webhooks__PublicKey=-----BEGIN RSA PUBLIC KEY----- BASE64 -----END RSA PUBLIC KEY-----
          Freshchat__RequestsPerMinute=100000

        (the last line is the request rate the emulator allows: it limits nothing, so the producer's maximum;
        all other text goes to standard error), and stays up until Ctrl-C or SIGTERM, then exits 0.

        Options:
          --users N                  generated Freshchat users (default 200)
          --seed S                   seed of the generated data (default 42)
          --api-key K                bearer token the Freshchat emulator accepts (default sandbox-api-key)
          --freshchat-port P         port of the Freshchat emulator (default 0 = a free port)
          --schema-registry-port Q   port of the Schema Registry emulator (default 0 = a free port)
          --listen ADDRESS           IP address the two emulators bind (default 127.0.0.1; 0.0.0.0 = all);
                                     the mock Kafka brokers always listen on 127.0.0.1
          --brokers B                brokers of the mock Kafka cluster, 1-32 (default 1)
          --topics T1,T2             topics to create up front (default none: topics are auto-created)
          --partitions N             partitions of the topics created up front (default 3)
          --webhook-url URL          POST signed webhook events (message_create, conversation_assignment,
                                     conversation_resolution, conversation_reopen) to URL (default: off)
          --behaviour NAME=VALUE     set a Freshchat emulator switch at start, e.g. messages_from_time_inclusive=true
                                     (repeatable; names and values as GET /_sandbox/behaviour shows them)
          --profile default|other    start from the default reading of every unconfirmed API behaviour, or from
                                     the other one (default: FRESHCHAT_EMULATOR_PROFILE, else default);
                                     --behaviour settings apply on top
          -h, --help                 show this help

        Example (keep it running in the background, then load the six lines into the shell; the key line
        contains spaces, so export line by line):
          dotnet run --project tools/FreshchatStream.Sandbox -- up --users 1000 > sandbox.env &
          until [ "$(wc -l < sandbox.env)" -ge 6 ]; do sleep 0.2; done
          while IFS= read -r line; do export "$line"; done < sandbox.env
        """;

    public const string Freshchat =
        """
        Usage: freshchat-sandbox freshchat [options]

        Starts only the Freshchat API emulator, prints

          Freshchat__BaseUrl=http://HOST:PORT/v2
          Freshchat__ApiKey=KEY

        on standard output (all other text goes to standard error), and stays up until Ctrl-C or SIGTERM, then exits 0.

        Options:
          --users N                     generated Freshchat users (default 200)
          --seed S                      seed of the generated data (default 42)
          --api-key K                   bearer token the emulator accepts (default sandbox-api-key)
          --freshchat-port P, --port P  port to listen on (default 0 = a free port)
          --listen ADDRESS              IP address to bind (default 127.0.0.1; 0.0.0.0 in a container)
          --behaviour NAME=VALUE        set an emulator switch at start, e.g. agent_status_without_id=true
                                        (repeatable; names and values as GET /_sandbox/behaviour shows them)
          --profile default|other       default or other reading of every unconfirmed API behaviour (default:
                                        FRESHCHAT_EMULATOR_PROFILE, else default); --behaviour applies on top
          -h, --help                    show this help

        Example (what docker-compose.yml runs):
          freshchat-sandbox freshchat --listen 0.0.0.0 --freshchat-port 8080 --users 2000 --api-key sandbox-api-key
        """;

    /// <summary>The usage to show after a mistake in <paramref name="command"/>'s arguments.</summary>
    public static string For(string? command) => command switch
    {
        UpArguments.Command => Up,
        FreshchatArguments.Command => Freshchat,
        _ => General,
    };
}
