from app.cycle_a import loop_a as loop_b
