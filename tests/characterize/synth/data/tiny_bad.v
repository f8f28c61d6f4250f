// Deliberately broken RTL: the synthesis-failure test expects Yosys's syntax error.
module tiny_top (input wire clk, output wire q);
    assign q = clk &;
endmodule
