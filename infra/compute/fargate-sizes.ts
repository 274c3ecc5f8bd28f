/**
 * Task sizes AWS Fargate accepts (Linux, platform version 1.4.0 or later): each CPU value with the
 * memory values allowed for it. Anything else is refused by `RegisterTaskDefinition`, so the platform
 * checks it while validating config, long before a deployment.
 *
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */

const range = (from: number, to: number, step: number) =>
    Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

/** Task CPU units (1024 = 1 vCPU) -> allowed task memory in MiB. */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

/** CPU values Fargate accepts, ascending. */
export const FARGATE_CPU_VALUES: readonly number[] = Object.keys(FARGATE_TASK_SIZES)
    .map(Number)
    .sort((a, b) => a - b);

/** Human form of a memory list: `1024-4096 in steps of 1024` or `512, 1024, 2048`. */
function describeMemory(values: readonly number[]): string {
    if (values.length <= 3) return values.join(", ");
    return `${values[0]}-${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}

/** What is wrong with a task size: the field at fault and why. */
export interface FargateSizeProblem {
    field: "cpu" | "memory";
    message: string;
}

/**
 * Why a task size is not a Fargate combination, or undefined when it is one.
 * @param cpu task CPU units; @param memory task memory in MiB.
 */
export function fargateSizeProblem(cpu: number, memory: number): FargateSizeProblem | undefined {
    const allowed = FARGATE_TASK_SIZES[cpu];
    if (!allowed)
        return {
            field: "cpu",
            message: `must be one of ${FARGATE_CPU_VALUES.join(", ")} CPU units (1024 = 1 vCPU); got ${cpu}`,
        };
    if (!allowed.includes(memory))
        return {
            field: "memory",
            message: `must be a Fargate size for cpu ${cpu}: ${describeMemory(allowed)} MiB; got ${memory}`,
        };
    return undefined;
}
