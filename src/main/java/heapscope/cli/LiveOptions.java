package heapscope.cli;

import heapscope.source.InputSpec;
import picocli.CommandLine.Option;

import java.util.List;

/** How live inputs (tcp://, tcp-listen://) end, shared by the commands that read them. */
final class LiveOptions {
    @Option(names = "--idle-timeout", paramLabel = "TIME", description = "end a live input (tcp://, tcp-listen://) that sends "
            + "nothing for TIME (e.g. 30s, 2m): the report covers what came; by default it ends when the peer closes it or on Ctrl-C")
    String idleTimeout;

    /** The inputs as written on the command line, live ones with these settings. */
    List<InputSpec> specs(List<String> inputs) {
        InputSpec.Live live = new InputSpec.Live(idleTimeout == null ? 0 : Math.max(1, Common.duration("--idle-timeout", idleTimeout) / 1_000_000),
                InputSpec.Live.DEFAULT.notices());
        return inputs.stream().map(text -> InputSpec.parse(text, live)).toList();
    }
}
